// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice A points/quest board of the kind airdrop hunters farm: one-off quests and a daily check-in.
contract QuestBoard is Ownable {
    mapping(address => uint256) public points;
    mapping(address => mapping(uint256 => bool)) public completed;
    mapping(address => uint256) public lastCheckInDay;
    uint256[] private _rewards;

    event QuestAdded(uint256 indexed questId, uint256 reward);
    event QuestCompleted(address indexed user, uint256 indexed questId, uint256 points);
    event CheckedIn(address indexed user, uint256 day);

    error UnknownQuest(uint256 questId);
    error AlreadyCompleted(address user, uint256 questId);
    error AlreadyCheckedIn(address user, uint256 day);

    constructor(address owner_) Ownable(owner_) {}

    function questCount() external view returns (uint256) {
        return _rewards.length;
    }

    function addQuest(uint256 reward) external onlyOwner returns (uint256 questId) {
        questId = _rewards.length;
        _rewards.push(reward);
        emit QuestAdded(questId, reward);
    }

    function completeQuest(uint256 questId) external {
        if (questId >= _rewards.length) revert UnknownQuest(questId);
        if (completed[msg.sender][questId]) revert AlreadyCompleted(msg.sender, questId);
        completed[msg.sender][questId] = true;
        uint256 reward = _rewards[questId];
        points[msg.sender] += reward;
        emit QuestCompleted(msg.sender, questId, reward);
    }

    function checkIn() external {
        // Day numbers are offset by one so that the zero default means "never checked in".
        uint256 day = block.timestamp / 1 days + 1;
        if (lastCheckInDay[msg.sender] == day) revert AlreadyCheckedIn(msg.sender, day - 1);
        lastCheckInDay[msg.sender] = day;
        points[msg.sender] += 1;
        emit CheckedIn(msg.sender, day - 1);
    }
}
