// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice A paid-mint ERC-721 collection with sequential token ids starting at 1.
contract SimNft is ERC721, Ownable {
    uint256 public price;
    uint256 public totalMinted;

    error InsufficientPayment(uint256 sent, uint256 price);

    constructor(string memory name_, string memory symbol_, uint256 price_, address owner_)
        ERC721(name_, symbol_)
        Ownable(owner_)
    {
        price = price_;
    }

    function mint() external payable returns (uint256 tokenId) {
        if (msg.value < price) revert InsufficientPayment(msg.value, price);
        tokenId = ++totalMinted;
        _safeMint(msg.sender, tokenId);
    }

    function withdraw(address payable to) external onlyOwner {
        Address.sendValue(to, address(this).balance);
    }
}
